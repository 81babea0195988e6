"""What each stable error code of video processing says to the author (translated)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def video_error_message(code: str) -> str:
    """A sentence for the author about why their video could not be used; a general one for codes
    this table does not know."""
    messages = {
        "video_empty": _("The file is empty."),
        "video_unsupported_format": _("This file is not a supported video (MP4, MOV or WebM)."),
        "video_unreadable": _("This video could not be read; it may be damaged or incomplete."),
        "video_no_video_stream": _("This file has no video in it."),
        "video_too_long": _("This video is too long."),
        "video_frame_too_large": _("This video's picture is too large."),
        "video_too_large": _("This video file is too large."),
        "video_timeout": _("Processing this video took too long."),
        "processing_timeout": _("Processing this video took too long."),
    }
    return messages.get(code, _("This video could not be processed. Try again or upload another file."))
