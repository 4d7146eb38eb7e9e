"""Writing a file so that readers see the old content or the new, never a part: temp file, fsync, rename."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def atomic_write(path: str | os.PathLike, data: bytes, fsync: bool = True) -> None:
    """Replace `path` with `data` atomically; on any failure the old file is left as it was."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")  # hidden: never loaded
    # os.open applies the umask to 0o666, as open() would; mkstemp would force 0o600.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            if fsync:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
