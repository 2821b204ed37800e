"""etc/ooi/ooi.conf.sample is current: it holds every ooi option as the generator writes it
(`make sample-config` rewrites it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "etc" / "ooi" / "ooi.conf.sample"


def test_sample_config_has_every_ooi_option_as_generated(tmp_path):
    generated = tmp_path / "ooi.conf"
    subprocess.run(
        [sys.executable, "-m", "oslo_config.generator", "--namespace", "ooi"]
        + ["--wrap-width", "79", "--output-file", str(generated)],
        check=True,
    )
    # keystonemiddleware's part of the sample follows its installed version; ours must match.
    ours = generated.read_text().split("#\n# From ooi\n#\n", 1)[1]
    assert ours.strip() in SAMPLE.read_text(), (
        "etc/ooi/ooi.conf.sample is stale: make sample-config"
    )
