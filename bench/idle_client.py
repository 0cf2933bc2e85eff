#!/usr/bin/env python3
"""Holds N idle keep-alive connections to one server on loopback, for bench/idle-connections.sh.

Each connection first completes one GET (so the server holds it as a connection that has served a request,
as a browser's would be), then stays open and silent. Prints "open N" once all are held, waits for a line on
standard input (while the script measures the server), then prints "alive M": how many the server had not
closed meanwhile, so that a figure taken over fewer connections than asked for is noticed.
"""
import asyncio
import sys

HOST = "127.0.0.1"


async def open_one(port, request, limit, held):
    async with limit:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        if not 200 <= status < 300:
            raise RuntimeError(f"answer {status}, not 2xx: {head[:200]!r}")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), None)
        if length is None:
            raise RuntimeError(f"no Content-Length, cannot tell where the answer ends: {head[:200]!r}")
        await reader.readexactly(length)
        held.append((reader, writer))


async def main():
    port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    request = f"GET {path} HTTP/1.1\r\nHost: bench.test\r\n\r\n".encode()
    # A few hundred at a time: a burst of 10000 connects would overflow the servers' accept backlogs.
    limit = asyncio.Semaphore(200)
    held = []
    await asyncio.gather(*(open_one(port, request, limit, held) for _ in range(count)))
    print(f"open {len(held)}", flush=True)
    # The event loop keeps reading every socket while we wait, so a connection the server closes shows as EOF.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await asyncio.sleep(0.2)
    print(f"alive {sum(1 for reader, _ in held if not reader.at_eof())}", flush=True)
    for _, writer in held:
        writer.close()


asyncio.run(main())
