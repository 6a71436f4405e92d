"""Serving a class: the teacher's and the students' pages on one Panel server, in this process."""

from __future__ import annotations

from pathlib import Path

import panel as pn

from bipsim.classroom.pages import Classroom, StudentPage, TeacherPage
from bipsim.classroom.session import STATE_FILE, ClassSession
from bipsim.classroom.settings import ClassSettings

TEACHER_PATH, STUDENT_PATH = "class/teacher", "class/join"


def classroom(folder: str | Path | None = None, defaults: ClassSettings | None = None) -> Classroom:
    """The server's state, resuming the class saved in ``folder`` when there is one."""
    room = Classroom(folder=Path(folder) if folder is not None else None, defaults=defaults or ClassSettings())
    if room.folder is not None and (room.folder / STATE_FILE).is_file():
        room.session = ClassSession.resume(room.folder)
    return room


def apps(room: Classroom) -> dict[str, object]:
    """The two pages by path, for ``pn.serve``."""
    return {
        TEACHER_PATH: lambda: TeacherPage(room).view(),
        STUDENT_PATH: lambda: StudentPage(room).view(),
    }


def serve(room: Classroom, address: str, port: int, origins: list[str], show: bool, threaded: bool = False):  # noqa: ANN201
    """Serve the class until interrupted (or, ``threaded``, return the server thread)."""
    return pn.serve(
        apps(room),
        port=port,
        address=address,
        websocket_origin=origins,
        show=show,
        title="bipsim class",
        num_procs=1,
        threaded=threaded,
        start=True,
    )
