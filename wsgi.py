"""The production entry point: ``gunicorn wsgi:app`` (settings in gunicorn.conf.py).

gunicorn imports this module in each worker after the fork (the config does not
preload), so every worker builds its own Network and database connections.
"""

from web import create_app

app = create_app()
