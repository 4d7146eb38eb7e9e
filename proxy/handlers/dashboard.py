"""GET /: the service's description as JSON (mode, endpoints, models), or for browsers the dashboard page."""
from __future__ import annotations

from pathlib import Path

from dummy_openai_api.proxy import __version__
from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.core.http import Reply

PAGE = (Path(__file__).resolve().parents[1] / "static" / "dashboard.html").read_bytes()
HTML_CONTENT_TYPE = "text/html; charset=utf-8"


class Root(Handler):
    requires_key = False
    api = False

    def get(self) -> Reply:
        if self.settings.dashboard and "text/html" in self.request.headers.get("Accept", ""):
            return Reply(body=PAGE, content_type=HTML_CONTENT_TYPE, source="dashboard",
                         headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                  "Content-Security-Policy": "frame-ancestors 'none'"})  # no clickjacking
        return Reply.json({
            "name": "Dummy OpenAI API",
            "version": __version__,
            "mode": self.services.pipeline.mode.value,
            "endpoints": self.services.endpoints,
            "models": list(self.services.models.catalogue.models),
        })
