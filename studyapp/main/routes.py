from flask import Blueprint, redirect, render_template
from flask_login import current_user

from ..auth.blueprint import home_for

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("main/index.html")
