"""The bare anchor of bench/write_read_path.py and bench/confirm_throughput.py: plain DRF
on the project's database.

No project code is imported: plain ModelSerializers, DRF's own TokenAuthentication, no
middleware, no history, no scope. Its tables (a token table and two tiny insert tables)
are created by ``prepare`` without migrations and vanish with the bench database.
"""
