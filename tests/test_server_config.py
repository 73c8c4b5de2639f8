"""The shipped .streamlit/config.toml: the settings the app's speed and safety rely on, each
checked to be an option this Streamlit knows (a misspelt one is silently ignored)."""
import tomllib
from pathlib import Path

import pytest
from streamlit import config as st_config

CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
SET = {f"{section}.{name}": value for section, names in CONFIG.items()
       for name, value in names.items() if not isinstance(value, dict)}


@pytest.mark.parametrize("name", sorted(SET))
def test_every_option_is_known_to_streamlit(name):
    st_config.get_option(name)  # raises on an unknown option


@pytest.mark.parametrize("name, value", [
    ("runner.postScriptGC", False),  # issue 10: gc.collect(2) after each run was ~60% of a cached rerun
    ("server.address", "127.0.0.1"),
    ("server.enableXsrfProtection", True),
    ("runner.magicEnabled", False),
])
def test_speed_and_safety_settings(name, value):
    assert SET.get(name) == value
