"""Where the CPU of one request goes, from a cProfile of the study answers (benchmarks/review_loop.py --profile):
exclusive time added up by library (the file a function lives in), and inclusive time by request phase."""
from __future__ import annotations

import os

# Where a profile's exclusive time goes, by the file a function lives in (first match wins).
PROFILE_GROUPS = (
    ("SQLite (C)", ("sqlite3",)),
    ("SQLAlchemy", ("sqlalchemy",)),
    ("Flask-Login + our session check", ("flask_login", "studyapp/auth", "studyapp/services/sessions")),
    ("CSRF + cookie session (Flask-WTF, itsdangerous, hashlib/hmac)", ("flask_wtf", "wtforms", "itsdangerous",
                                                                       "hmac", "hashlib", "flask/sessions")),
    ("JSON", ("json",)),
    ("FSRS (py-fsrs + our scheduler)", ("fsrs", "studyapp/domain/scheduler")),
    ("card text (Markdown, nh3: cached)", ("markdown_it", "nh3", "cardtext")),
    ("test client (not in a real server)", ("werkzeug/test", "flask/testing", "tests/support")),
    ("Flask + Werkzeug routing, request, response", ("flask", "werkzeug", "jinja2", "markupsafe")),
    ("studyapp (views, services)", ("studyapp",)),
)


def by_library(stats) -> dict:
    totals: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        where = f"{filename}:{name}"
        group = next((label for label, keys in PROFILE_GROUPS if any(k in where for k in keys)),
                     "Python stdlib and the rest")
        totals[group] = totals.get(group, 0.0) + tottime
    return totals


# Where the request's time goes by phase: inclusive time of these functions (file, function name).
PROFILE_PHASES = (
    ("whole request (Flask's wsgi_app)", (("flask/app.py", "wsgi_app"),)),
    ("request context: cookie session opened and saved", (("flask/ctx.py", "push"), ("flask/ctx.py", "pop"))),
    ("before the view: hooks", (("flask/app.py", "preprocess_request"),)),
    ("  session check (auth/logins.py: user + login, one query)", (("studyapp/auth/logins.py", "_load_from_session"),)),
    ("  CSRF check (Flask-WTF)", (("flask_wtf/csrf.py", "protect"),)),
    ("the view", (("flask/app.py", "dispatch_request"),)),
    ("  answer service: the reads (study.plan_answer)", (("studyapp/services/study.py", "plan_answer"),)),
    ("  answer service: the write (begin_write, study.store_answer)", (("studyapp/db_setup.py", "begin_write"),
                                                                       ("studyapp/services/study.py", "store_answer"))),
    ("  next card as JSON (text, links, four labels)", (("studyapp/study/routes.py", "_card_json"),)),
    ("    its four labels (scheduler.next_states, exam plan)", (("studyapp/study/routes.py", "_outcomes"),)),
    ("after the view: hooks and the commit", (("flask/app.py", "process_response"),)),
    ("  the commit", (("studyapp/db_setup.py", "_commit"),)),
)


def by_phase(stats) -> dict:
    totals = dict.fromkeys((label for label, _ in PROFILE_PHASES), 0.0)
    for (filename, _line, name), (_cc, _nc, _tottime, cumtime, _callers) in stats.stats.items():
        for label, places in PROFILE_PHASES:
            if any(name == function and filename.endswith(where) for where, function in places):
                totals[label] += cumtime
    return totals


# Over HTTP: CPU time (time.process_time) of the parts of each study answer inside a gunicorn worker, no profiler.
# `gunicorn ... "benchmarks.request_profile:instrumented_app()"` with STUDYAPP_CPU_PARTS_DIR set: each worker
# writes its running totals there (one JSON file per worker); `cpu_parts` adds them up per answer.
# The timing itself (about 30 clock reads per answer) adds a few hundredths of a millisecond.
HTTP_PARTS = (
    # (label, what is timed): "flask.<method>" an app method, "hook.<function name>" a request hook,
    # "<module>:<function>" a module function as the view calls it.
    ("the WSGI app (gunicorn's call into Flask, response included)", "app"),
    ("  cookie session opened (signature checked, decoded)", "session.open_session"),
    ("  before the view: hooks", "flask.preprocess_request"),
    ("    Flask-Login + the session check (one query: the request's first statement, its connection checkout)",
     "login._load_user"),
    ("    CSRF check (Flask-WTF)", "hook.csrf_protect"),
    ("  the view", "flask.dispatch_request"),
    ("    reading the answer (JSON body)", "studyapp.study.routes:_read_answer"),
    ("    the answer's reads and scheduling (study.plan_answer)", "studyapp.services.study:plan_answer"),
    ("    the next card as JSON (text, links, four labels)", "studyapp.study.routes:_card_json"),
    ("      its four labels", "studyapp.study.routes:_outcomes"),
    ("    BEGIN IMMEDIATE (begin_write)", "studyapp.study.routes:begin_write"),
    ("    the write (study.store_answer: UPDATE, INSERT)", "studyapp.services.study:store_answer"),
    ("    the response body (jsonify)", "studyapp.study.routes:jsonify"),
    ("  after the view: hooks", "flask.process_response"),
    ("    the commit", "hook._commit"),
    ("  cookie session saved (unchanged: nothing written)", "session.save_session"),
    ("  teardown (last-seen, session closed)", "flask.do_teardown_request"),
)


def instrumented_app():
    """The app (wsgi.py's) with CPU time measured around the parts of each study answer (HTTP_PARTS)."""
    import atexit
    import functools
    import importlib
    import json
    import time
    from pathlib import Path

    from studyapp.extensions import login_manager
    from wsgi import app

    out_dir = Path(os.environ["STUDYAPP_CPU_PARTS_DIR"])
    clock = time.process_time
    totals: dict[str, float] = {}
    active = [False]

    def timed(key, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            if not active[0]:
                return function(*args, **kwargs)
            started = clock()
            try:
                return function(*args, **kwargs)
            finally:
                totals[key] = totals.get(key, 0.0) + clock() - started
        return wrapper

    for _label, key in HTTP_PARTS:
        kind, _, name = key.partition(".")
        if kind == "flask":
            setattr(app, name, timed(key, getattr(app, name)))
        elif kind == "session":
            setattr(app.session_interface, name, timed(key, getattr(app.session_interface, name)))
        elif kind == "hook":
            for registry in (app.before_request_funcs, app.after_request_funcs):
                for functions in registry.values():
                    functions[:] = [timed(key, f) if f.__name__ == name else f for f in functions]
        elif kind == "login":
            login_manager._load_user = timed(key, login_manager._load_user)
        elif ":" in key:
            module_name, function = key.split(":")
            module = importlib.import_module(module_name)
            setattr(module, function, timed(key, getattr(module, function)))
    state = {"answers": 0, "worker_started": None}

    def save():
        if state["answers"]:
            (out_dir / f"{os.getpid()}.json").write_text(json.dumps(
                {"answers": state["answers"], "worker": clock() - state["worker_started"], **totals}))

    atexit.register(save)

    def measured(environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get("PATH_INFO", "").endswith("/answer"):
            return app(environ, start_response)  # logins and pages before the run: not counted
        if state["worker_started"] is None:
            state["worker_started"] = clock()  # from the first answer on: the worker's CPU, gunicorn's included
        active[0] = True
        started = clock()
        try:
            body = list(app(environ, start_response))
        finally:
            totals["app"] = totals.get("app", 0.0) + clock() - started
            active[0] = False
        state["answers"] += 1
        if state["answers"] % 25 == 0:
            save()
        return body

    return measured


def cpu_parts(folder) -> dict:
    """Milliseconds of CPU per answer of each part, added up over the workers' files (see instrumented_app)."""
    import json
    from pathlib import Path

    sums: dict[str, float] = {}
    for path in Path(folder).glob("*.json"):
        for key, value in json.loads(path.read_text()).items():
            sums[key] = sums.get(key, 0.0) + value
    answers = sums.pop("answers", 0)
    if not answers:
        return {}
    out = {"gunicorn worker, whole (from its first answer)": round(sums.pop("worker", 0.0) * 1000 / answers, 3)}
    for label, key in HTTP_PARTS:
        out[label] = round(sums.get(key, 0.0) * 1000 / answers, 3)
    return {"answers": int(answers), "ms": out}
