from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accessibilite/",
        views.text_page(
            "accessibility",
            "Accessibilité",
            "Déclaration d'accessibilité du service : état de conformité, documents et recours.",
        ),
        name="accessibility",
    ),
    path(
        "mentions-legales/",
        views.text_page(
            "legal_notice",
            "Mentions légales",
            "Éditeur, direction de la publication et hébergement du service.",
        ),
        name="legal_notice",
    ),
    path(
        "donnees-personnelles/",
        views.text_page(
            "privacy",
            "Données personnelles",
            "Données traitées par le service, finalités, durées de conservation, sous-traitants et vos droits.",
            template="pages/privacy.html",
        ),
        name="privacy",
    ),
    path(
        "cgu/",
        views.text_page(
            "terms",
            "Conditions générales d'utilisation",
            "Les règles d'utilisation du service.",
        ),
        name="terms",
    ),
    path("stats/", views.stats, name="stats"),
    path(
        "budget/",
        views.text_page("budget", "Budget", "Ce que coûte le service, poste par poste, et qui le finance."),
        name="budget",
    ),
    path(
        "aide/",
        views.text_page("help", "Aide et contact", "Obtenir de l'aide et écrire à l'équipe du service."),
        name="help",
    ),
    path(
        "plan-du-site/",
        views.text_page("sitemap", "Plan du site", "Toutes les pages du service."),
        name="sitemap",
    ),
    path("healthz", views.healthz, name="healthz"),
]
