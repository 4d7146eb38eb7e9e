"""Template strings of graders: `{{ sample.output_text }}`, `{{ sample.output_json.answer }}`, `{{ item.x }}`.

`sample` holds the model's answer (`output_text`, and `output_json` when it is valid JSON); `item` is the
dataset row. A reference to nothing renders as an empty string, as the graders guide says of missing values.
"""
from __future__ import annotations

import json
import re
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")


def namespaces(model_sample: str, item: Any) -> dict[str, Any]:
    sample: dict[str, Any] = {"output_text": model_sample}
    try:
        sample["output_json"] = json.loads(model_sample)
    except ValueError:
        pass
    return {"sample": sample, "item": item if isinstance(item, dict) else {}}


def render(template: str, values: dict[str, Any]) -> str:
    return _PLACEHOLDER.sub(lambda m: _text(lookup(m.group(1), values)), template)


def lookup(path: str, values: dict[str, Any]) -> Any:
    found: Any = values
    for part in path.split("."):
        if isinstance(found, dict) and part in found:
            found = found[part]
        elif isinstance(found, list) and part.isdigit() and int(part) < len(found):
            found = found[int(part)]
        else:
            return None
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
