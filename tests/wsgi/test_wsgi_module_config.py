"""Where the WSGI module (ooi.wsgi.api) finds its configuration: the environment."""

from __future__ import annotations

from ooi.wsgi.standalone import config_args


def test_config_files_come_from_the_environment(tmp_path):
    assert config_args({"OOI_CONFIG_FILES": "/a.conf, /b.conf"}) == [
        "--config-file",
        "/a.conf",
        "--config-file",
        "/b.conf",
    ]
    assert config_args({"OOI_CONFIG_DIR": str(tmp_path)}) == ["--config-dir", str(tmp_path)]
    both = config_args({"OOI_CONFIG_FILES": "/a.conf", "OOI_CONFIG_DIR": str(tmp_path)})
    assert both == ["--config-file", "/a.conf", "--config-dir", str(tmp_path)]
