"""A real SMTP server for the delivery tests: accepts every message and writes it, as received,
to <dir>/<n>.eml. Usage: python3 smtp_sink.py <port> <dir>. Runs until killed."""

import asyncio
import pathlib
import sys

from aiosmtpd.controller import Controller


class SaveToDirectory:
    def __init__(self, directory: pathlib.Path):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = self.directory / f"{self.count}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def main() -> None:
    port, directory = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    controller = Controller(SaveToDirectory(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
