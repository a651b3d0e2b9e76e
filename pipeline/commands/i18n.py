"""click's own messages in Vietnamese, through gettext.

click wraps every message it prints ("Usage:", "Error: …", "[default: …]",
"No such option …") in ``gettext.gettext``. ``use_vietnamese`` installs
vanban's catalogue (``data/locale/vi/LC_MESSAGES/vanban.mo``, compiled from
the ``.po`` beside it by ``tools/make_locale.py``) as gettext's domain and
asks for Vietnamese, the language of every other message vanban prints.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "vanban"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "data" / "locale"


def use_vietnamese() -> None:
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = "vi"  # gettext's own choice of language, read at each lookup
