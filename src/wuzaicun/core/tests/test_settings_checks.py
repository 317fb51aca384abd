"""Commands print no system-check warnings when the front-end assets are not installed."""

import subprocess
import sys


def test_a_command_without_front_end_assets_prints_no_check_warnings(tmp_path):
    env = {"WUZAICUN_NODE_MODULES": str(tmp_path / "none"), "WUZAICUN_DATA_DIR": str(tmp_path / "var"),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "wuzaicun.manage", "check"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "W004" not in done.stderr + done.stdout
