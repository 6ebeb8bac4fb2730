"""Settings of gunicorn, the server that runs the application once deployed (the Procfile's `web`
command names this file; gunicorn also reads it by itself when started from this folder).
gunicorn takes the number of processes from WEB_CONCURRENCY (1 when it is not set).
"""

# gunicorn's default "sync" workers serve one connection at a time: a client that sends its request
# slowly (a poor mobile connection, or on purpose) holds the whole process and every other visitor
# waits, unless a proxy in front receives whole requests before passing them on. With threads, such a
# client holds one thread while the others keep answering. Past `threads` slow clients at once per
# process, visitors wait again (see the README, « Le serveur d'application »).
worker_class = "gthread"
threads = 8
