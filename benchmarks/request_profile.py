"""Where the CPU of one request goes, from a cProfile of the study answers (benchmarks/review_loop.py --profile):
exclusive time added up by library (the file a function lives in), and inclusive time by request phase."""
from __future__ import annotations

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
