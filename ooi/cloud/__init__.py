"""The cloud in a box: real OpenStack services on sqlite and loopback, for `make run` and tests.

A tool beside the product (ooi never imports it). One module per job:

- `settings`: state directory, ports, passwords (`box.json`); `configs`, `inifile`, `paste`:
  the services' config files, nova's api-paste.ini with ooi's sections;
- `dbprep` and `neutron_schema`: databases and keys, once per state directory;
- `serve` and `apps`: one gunicorn process per service, loading its WSGI app (nova and cinder
  with their other services in the same process); `sqlite`: locking that threads survive;
  `neutron_mech`: the ML2 driver that binds ports without agents;
- `supervisor`: spawn, wait, watch and stop by PID; `seed`: what devstack would create;
- `box`: the whole start/stop/status; `cli`: `ooi-cloud`; `clouds`: clouds.yaml;
- `session`: a box for a test run (used by tests/conftest.py).
"""
