"""The local web page (``handouts serve``): a front end of the request layer."""

from handouts.web.app import create_app

__all__ = ["create_app"]
