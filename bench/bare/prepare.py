"""Create the bare app's tables and a DRF token for one user; prints the key.

    DJANGO_SETTINGS_MODULE=bench.bare.settings python -m bench.bare.prepare bench.kpu
"""

import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.bare.models import BareEvent, BareRow, BareUser  # noqa: E402

with connection.schema_editor() as editor:
    editor.create_model(BareRow)
    editor.create_model(BareEvent)
    editor.create_model(Token)
print(Token.objects.create(user=BareUser.objects.get(username=sys.argv[1])).key)
