"""干部在村成长: imports, one module an area; importing the package registers them all."""

from . import dispatch, grading, talents, training  # noqa: F401
