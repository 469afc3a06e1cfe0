"""gunicorn settings for production (``gunicorn -c python:licheng.ops.gunicorn_config``).

Everything else (bind address, worker count) comes from the command line or GUNICORN_CMD_ARGS.
"""

import os

# The JSON access log is written by Django (request id included); gunicorn's own would duplicate it.
accesslog = None
errorlog = "-"
# Long uploads on a slow school connection must not be cut off by the worker timeout.
timeout = int(os.environ.get("LICHENG_WEB_TIMEOUT", "120"))
graceful_timeout = 30
forwarded_allow_ips = os.environ.get("LICHENG_FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    """Per-process Prometheus files of a dead worker must stop counting as live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def pre_request(worker, req):
    """A body of known length is read straight from the socket (gunicorn_body.py)."""
    from licheng.ops.gunicorn_body import read_from_socket

    worker.log.debug("%s %s", req.method, req.path)  # what gunicorn's own hook does
    read_from_socket(req)
