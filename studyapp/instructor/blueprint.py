"""The instructor blueprint object, shared by the view modules."""
from flask import Blueprint

bp = Blueprint("instructor", __name__, url_prefix="/instructor")
