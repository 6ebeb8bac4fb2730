"""Settings of gunicorn, the server that runs the application once deployed (the Procfile's `web`
command names this file; gunicorn also reads it by itself when started from this folder).
The number of processes comes from WEB_CONCURRENCY, which hosts set from the container's size (1 otherwise).
"""

# gunicorn's default "sync" workers serve one connection at a time: a client that sends its request
# slowly (a poor mobile connection, or on purpose) holds the whole process, and every other visitor
# waits, unless a proxy in front receives whole requests before passing them on. With threads, such a
# client holds one thread while the others keep answering. Several slow clients at once hold as many
# threads: past `threads` of them per process, visitors wait again (see the README, « Déployer »).
worker_class = "gthread"
threads = 8
