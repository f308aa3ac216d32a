"""An independent WebSocket client for PythonClientEndToEndTest: Debian's python3-websockets (asyncio API).

Usage: python3 websockets_client.py ws://127.0.0.1:PORT/ws
Prints OK and exits 0 when every check passed; fails with a traceback otherwise.
"""
import asyncio
import sys

import websockets


async def main(uri):
    async with websockets.connect(uri, max_size=None, compression=None, open_timeout=20) as ws:
        for n in (125, 126, 65535, 65536):
            text = "é" * (n // 2) + "x" * (n % 2)  # n bytes of UTF-8
            await ws.send(text)
            assert await ws.recv() == text, f"text of {n} bytes"
            data = bytes(i % 251 for i in range(n))
            await ws.send(data)
            assert await ws.recv() == data, f"binary of {n} bytes"
        await ws.send(["Hello, ", "wörld", "!"])  # a fragmented message: three frames
        assert await ws.recv() == "Hello, wörld!", "fragmented message"
        pong = await ws.ping(b"abc")
        await asyncio.wait_for(pong, 20)  # resolved only by a pong with the same payload
        await ws.send("ping")  # the server pings us; the library answers; the server reports it
        assert await ws.recv() == "pong", "server ping"
        await ws.close(code=4001, reason="bye")
        assert ws.close_code == 4001, f"close echo {ws.close_code}"

    async with websockets.connect(uri, compression=None, open_timeout=20) as ws:
        await ws.send("close:SHUTDOWN")
        try:
            await asyncio.wait_for(ws.recv(), 20)
            raise AssertionError("expected the server's close")
        except websockets.ConnectionClosed:
            pass
        assert ws.close_code == 1001, f"server close code {ws.close_code}"
        assert ws.close_reason == "going away", f"server close reason {ws.close_reason!r}"
    print("OK")


asyncio.run(main(sys.argv[1]))
