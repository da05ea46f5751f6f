"""Stopping and starting the PostgreSQL cluster that the test database lives on.

.ci/run names its cluster in these environment variables:

- FAULT_PG_CTL: the pg_ctl program of the cluster's PostgreSQL version
- FAULT_PG_DATA: the cluster's data directory
- FAULT_PG_OPTIONS: the server options it was started with (pg_ctl -o)
- FAULT_PG_USER: the system user that owns the cluster. pg_ctl runs as that
  user through runuser when the tests run as root, because PostgreSQL
  does not run as root.

Without them, tests that restart the database skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

ENVIRONMENT_VARIABLES = ("FAULT_PG_CTL", "FAULT_PG_DATA", "FAULT_PG_OPTIONS")
# pg_ctl waits this many seconds for the server to stop or accept connections.
PG_CTL_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class PostgresCluster:
    pg_ctl: str
    data_directory: str
    options: str
    user: str = ""

    @classmethod
    def from_environment(cls) -> PostgresCluster | None:
        """Return the cluster named by the FAULT_PG_* variables, or None."""
        if not all(os.environ.get(name) for name in ENVIRONMENT_VARIABLES):
            return None
        return cls(
            pg_ctl=os.environ["FAULT_PG_CTL"],
            data_directory=os.environ["FAULT_PG_DATA"],
            options=os.environ["FAULT_PG_OPTIONS"],
            user=os.environ.get("FAULT_PG_USER", ""),
        )

    def _command(self, *arguments: str) -> list[str]:
        command = [self.pg_ctl, "-D", self.data_directory, *arguments]
        if self.user and os.geteuid() == 0:
            runuser = shutil.which("runuser") or "runuser"
            command = [runuser, "-u", self.user, "--", *command]
        return command

    def _run(self, *arguments: str) -> None:
        subprocess.run(  # noqa: S603
            self._command(
                "-w",
                "-t",
                str(PG_CTL_TIMEOUT_SECONDS),
                # The server keeps its standard output open, so it must go to
                # a file: a pipe would leave subprocess.run() waiting for EOF.
                "-l",
                os.path.join(self.data_directory, "server.log"),
                *arguments,
            ),
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            timeout=PG_CTL_TIMEOUT_SECONDS + 10,
        )

    def restart(self) -> None:
        """Restart in fast mode: open transactions are rolled back."""
        self._run("-m", "fast", "restart")

    def stop(self) -> None:
        """Stop in fast mode: open transactions are rolled back."""
        self._run("-m", "fast", "stop")

    def start(self) -> None:
        """Start with the original options and wait for connections."""
        self._run("-o", self.options, "start")

    def is_running(self) -> bool:
        # pg_ctl status exits with 0 while the server runs, 3 when it does not.
        status = subprocess.run(  # noqa: S603
            self._command("status"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        return status.returncode == 0
