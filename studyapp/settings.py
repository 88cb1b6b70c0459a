"""Default settings. Instance config (instance/config.py) and the environment override them."""
import os

DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "SCHEDULER_FUZZ": True,
    "DAY_ROLLOVER_HOUR": 4,  # the learner's study day starts at this hour of their local time (as Anki's)
    "CLOCK": None,  # a callable returning an aware UTC datetime: tests pin the time (studyapp.clock)
    "CARDS_DIR": None,  # defaults to <repo>/cards
    "SESSION_COOKIE_SECURE": False,  # True forces it; otherwise Secure whenever the request is HTTPS
    "TRUST_PROXY": False,  # only behind a reverse proxy that overwrites X-Forwarded-* (docs/deploy.md)
    # Host names this site answers to (Flask refuses others with 400, so links built from the Host header,
    # such as quiz share links, cannot point elsewhere). None: any host (development); set it in production.
    "TRUSTED_HOSTS": None,
    # Logins (studyapp.services.sessions): unused logins end after this long; remembered ones after REMEMBER_DAYS.
    "SESSION_IDLE_HOURS": 12,
    "REMEMBER_DAYS": 30,
    # Login limits (studyapp.services.throttle; stored in the database, shared by every worker and server).
    # Only failures count. Past the free ones within an hour, each try waits 2 s, 4 s, 8 s ... (at most 15 min).
    "LOGIN_FREE_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_FREE_FAILURES_PER_ADDRESS": 100,   # a whole class behind one school address mistypes sometimes
    "REGISTRATIONS_PER_ADDRESS_HOUR": 60,
    "TAKEN_ANSWERS_PER_ADDRESS_HOUR": 20,     # "that username is taken" answers: what reveals usernames
}


def from_environment() -> dict:
    """Settings taken from the environment when set there."""
    out: dict = {}
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 spelled out.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        out["SQLALCHEMY_DATABASE_URI"] = url
    if os.environ.get("SECRET_KEY"):
        out["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("TRUSTED_HOSTS"):
        out["TRUSTED_HOSTS"] = [h.strip() for h in os.environ["TRUSTED_HOSTS"].split(",") if h.strip()]
    for key in ("TRUST_PROXY", "SESSION_COOKIE_SECURE"):
        if os.environ.get(key, "").lower() in ("1", "true", "yes"):
            out[key] = True
    if out.get("SESSION_COOKIE_SECURE"):
        out["REMEMBER_COOKIE_SECURE"] = True
    return out
