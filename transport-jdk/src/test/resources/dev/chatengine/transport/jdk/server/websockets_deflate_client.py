"""permessage-deflate against an independent peer, for PythonDeflateInteropTest: Debian's python3-websockets.

Usage: python3 websockets_deflate_client.py ws://127.0.0.1:PORT/ws   (an echo server, 128 KiB message limit)
Prints OK and exits 0 when every check passed; fails with a traceback otherwise.
"""
import asyncio
import base64
import random
import sys
import zlib

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory, PerMessageDeflate

# Count the server's frames that arrive compressed (RSV1 set), before the library inflates them,
# and keep the last one's payload.
compressed_frames = 0
last_compressed = None
_decode = PerMessageDeflate.decode


def _counting_decode(self, frame, *, max_size=None):
    global compressed_frames, last_compressed
    if frame.rsv1:
        compressed_frames += 1
        last_compressed = frame.data
    return _decode(self, frame, max_size=max_size)


def inflate_in_small_steps(payload, wbits):
    """Inflates 64 bytes per call, so that every back-reference past 64 bytes must come from the
    2^wbits window (the library inflates a whole frame in one call, which hides a too-far reference)."""
    inflater = zlib.decompressobj(wbits=-wbits)
    data, out = payload + b"\x00\x00\xff\xff", bytearray()
    while True:
        chunk = inflater.decompress(data, 64)
        out += chunk
        data = inflater.unconsumed_tail
        if not chunk and not data:
            return bytes(out)


PerMessageDeflate.decode = _counting_decode

CHAT = ('{"type":"message","room":"lobby","from":"alice","text":"hello everyone, '
        'is permessage-deflate on?","id":"m-42","ts":1764690000000}')
DEFAULT_ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"


async def echo(ws, message, what):
    await ws.send(message)
    got = await asyncio.wait_for(ws.recv(), 20)
    joined = "".join(message) if isinstance(message, list) else message
    assert got == joined, f"echo of {what}"


async def main(uri):
    global compressed_frames, last_compressed
    # 1. The library's default offer ("permessage-deflate; client_max_window_bits"), as a browser's.
    async with websockets.connect(uri, max_size=None, open_timeout=20) as ws:
        answer = ws.response_headers.get("Sec-WebSocket-Extensions")
        assert answer == DEFAULT_ANSWER, f"answer {answer!r}"
        assert len(ws.extensions) == 1 and isinstance(ws.extensions[0], PerMessageDeflate), ws.extensions
        await echo(ws, "hi", "a short text")
        await echo(ws, CHAT, "a chat message")
        await echo(ws, CHAT * 300, "a 40 KB text")
        await echo(ws, "é" * 40000, "80 KB of two-byte characters")
        await echo(ws, bytes(random.Random(1).randbytes(3000)), "incompressible binary")
        await echo(ws, bytes(100_000), "100 KB of zeros")
        await echo(ws, ["Hello, ", "wörld", "! " * 500], "a compressed fragmented message")
        for i in range(20):  # no context takeover either way: every message stands alone
            await echo(ws, CHAT.replace("42", str(i)), f"chat message {i}")
        assert compressed_frames >= 25, f"only {compressed_frames} compressed frames from the server"
        await ws.close()

    # 2. A small server window: the server echoes server_max_window_bits=10 and must never refer
    #    farther back than 1 KiB (python inflates with a 2^10 window and fails otherwise).
    before = compressed_frames
    small_window = ClientPerMessageDeflateFactory(server_max_window_bits=10, client_max_window_bits=10)
    async with websockets.connect(uri, max_size=None, open_timeout=20, extensions=[small_window]) as ws:
        answer = ws.response_headers.get("Sec-WebSocket-Extensions")
        assert answer == DEFAULT_ANSWER + "; server_max_window_bits=10", f"answer {answer!r}"
        block = base64.b64encode(random.Random(2).randbytes(1500)).decode()  # 2000 chars
        for message, what in ((block[:1000] + block[:24], "1 KiB with a repeat inside the window"),
                              (block + block, "4 KB repeating at 2000 bytes, beyond the window"),
                              (CHAT * 100, "13 KB of chat")):
            last_compressed = None
            await echo(ws, message, what)
            if last_compressed is not None:
                assert inflate_in_small_steps(last_compressed, 10) == message.encode(), f"{what} within 2^10"
        assert compressed_frames > before, "nothing compressed under the small window"
        await ws.close()

    # 3. A bomb: 200 KB of one letter deflates to a few hundred bytes; the limit is 128 KiB inflated.
    async with websockets.connect(uri, max_size=None, open_timeout=20) as ws:
        await ws.send("a" * 200_000)
        try:
            await asyncio.wait_for(ws.recv(), 20)
            raise AssertionError("expected the server's close")
        except websockets.ConnectionClosed:
            pass
        assert ws.close_code == 1009, f"close code {ws.close_code}"
    print("OK")


asyncio.run(main(sys.argv[1]))
