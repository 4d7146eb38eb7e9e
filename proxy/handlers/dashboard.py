"""GET / for browsers: the dashboard page (mode, models, cassettes, the live journal); JSON for everyone else."""
from __future__ import annotations

from pathlib import Path

from dummy_openai_api.proxy.handlers import base
from dummy_openai_api.proxy.core.http import Reply

PAGE = (Path(__file__).resolve().parents[1] / "static" / "dashboard.html").read_bytes()
HTML_CONTENT_TYPE = "text/html; charset=utf-8"


class Root(base.Root):
    def get(self) -> Reply:
        if self.settings.dashboard and "text/html" in self.request.headers.get("Accept", ""):
            return Reply(body=PAGE, content_type=HTML_CONTENT_TYPE, source="dashboard",
                         headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                  "Content-Security-Policy": "frame-ancestors 'none'"})  # no clickjacking
        return super().get()
