"""Django for the corpus workers: settings in code (sqlite in memory, contenttypes + auth), the
tables created directly, and the import path of the corpus truth and leakhunt's Python helper."""
import gc
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))

import corpus_truth  # noqa: E402

corpus_truth.use_helper()


def setup(debug):
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=debug,
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        USE_TZ=True,
    )
    django.setup()
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    with connection.schema_editor() as editor:
        for model in (ContentType, Permission, Group, User):
            editor.create_model(model)
    connection.queries_log.clear()
    # What a prefork deployment does after loading the app: the start-up objects are never
    # scanned by the cyclic collector again (the helper collects after every task).
    gc.collect()
    gc.freeze()
