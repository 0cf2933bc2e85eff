#!/usr/bin/env python3
"""A flapping origin and the load that measures a proxy in front of it, for bench/flapping-origin.sh. Loopback only.

    flapping_origin.py origin PORT HEALTHY_S OUTAGE_S
        Serves /obj/N (64 bytes, ETag "N", Cache-Control: max-age=1; 304 to a matching If-None-Match). Healthy
        until GET /flap/start (sent to the origin itself), then it cycles: healthy HEALTHY_S seconds, an outage of
        OUTAGE_S seconds, healthy again, the next outage... The outages, in turn: refusing (listener closed),
        resetting (reads the request, then RST), unavailable (503, Retry-After: 1, no freshness), stalling (never
        answers), trickling (head and 10 bytes, then nothing). GET /flap/report (JSON) lists every phase with
        its times and the requests that reached the origin in it.

    flapping_origin.py load PROXY_PORT ORIGIN_PORT SECONDS CONNECTIONS OBJECTS
        Starts the origin's cycle, keeps CONNECTIONS keep-alive clients asking the proxy (Host: bench.test) for
        random objects for SECONDS, then prints, from the origin's own phase list: the share of answers during
        healthy phases that were complete 200s, and the requests the origin received during outages.
"""
import asyncio
import json
import random
import socket
import struct
import sys
import time

HOST = "127.0.0.1"
OUTAGES = ["refusing", "resetting", "unavailable", "stalling", "trickling"]
BODY_LENGTH = 64


def body(name):
    text = f"object {name} ".ljust(BODY_LENGTH, "x")
    return text[:BODY_LENGTH].encode()


class Origin:
    def __init__(self, port, healthy, outage):
        self.port, self.healthy, self.outage = port, healthy, outage
        self.phases = [{"phase": "healthy", "start": time.time(), "requests": 0}]
        self.server = None
        self.held = []

    @property
    def phase(self):
        return self.phases[-1]["phase"]

    async def listen(self):
        self.server = await asyncio.start_server(self.serve, HOST, self.port, reuse_address=True, backlog=1024)

    async def cycle(self):
        for i in range(10 ** 6):
            await asyncio.sleep(self.healthy)
            await self.enter(OUTAGES[i % len(OUTAGES)])
            await asyncio.sleep(self.outage)
            await self.enter("healthy")

    async def enter(self, phase):
        now = time.time()
        self.phases[-1]["end"] = now
        self.phases.append({"phase": phase, "start": now, "requests": 0})
        if phase == "refusing":
            # Only the listener closes: wait_closed() would wait for the stalled connections as well.
            self.server.close()
        elif self.server is None or not self.server.is_serving():
            await self.listen()

    async def serve(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                target = lines[0].split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:] if l)}
                if target.startswith("/flap/"):
                    await self.control(target, writer)
                    return
                if self.phase != "refusing":
                    # A refusing origin is down: what reaches an old connection of its meets a reset, not the origin.
                    self.phases[-1]["requests"] += 1
                if not await self.answer(self.phase, target, headers, writer):
                    return
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def control(self, target, writer):
        if target == "/flap/start":
            self.phases = [{"phase": "healthy", "start": time.time(), "requests": 0}]
            asyncio.get_running_loop().create_task(self.cycle())
            data = b"started"
        else:
            self.phases[-1]["end"] = time.time()
            data = json.dumps(self.phases).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(data) + data)
        await writer.drain()

    async def answer(self, phase, target, headers, writer):
        name = target.rsplit("/", 1)[-1]
        etag = f'"{name}"'
        if phase in ("resetting", "refusing"):
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if phase == "stalling":
            await asyncio.sleep(3600)
            return False
        if phase == "unavailable":
            writer.write(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 4\r\n\r\nbusy")
        elif phase == "trickling":
            writer.write(f"HTTP/1.1 200 OK\r\nETag: {etag}\r\nCache-Control: max-age=1\r\n"
                         f"Content-Length: {BODY_LENGTH}\r\n\r\n".encode() + body(name)[:10])
            await writer.drain()
            await asyncio.sleep(3600)
            return False
        elif headers.get("if-none-match") == etag:
            writer.write(f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nCache-Control: max-age=1\r\n\r\n".encode())
        else:
            writer.write(f"HTTP/1.1 200 OK\r\nETag: {etag}\r\nCache-Control: max-age=1\r\n"
                         f"Content-Length: {BODY_LENGTH}\r\n\r\n".encode() + body(name))
        await writer.drain()
        return True


async def run_origin(port, healthy, outage):
    origin = Origin(port, healthy, outage)
    await origin.listen()
    await asyncio.Event().wait()


async def fetch_once(port, path):
    for _ in range(100):
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except ConnectionRefusedError:
            # The origin is in a refusing phase: its listener is back within the outage.
            await asyncio.sleep(0.2)
            continue
        writer.write(f"GET {path} HTTP/1.1\r\nHost: origin\r\nConnection: close\r\n\r\n".encode())
        data = await reader.read()
        writer.close()
        return data.split(b"\r\n\r\n", 1)[1]
    raise ConnectionRefusedError(f"the origin on port {port} did not answer {path}")


async def client(port, deadline, objects, answers):
    connection = None
    while time.time() < deadline:
        start = time.time()
        status, complete = 0, False
        try:
            if connection is None:
                connection = await asyncio.open_connection(HOST, port)
            reader, writer = connection
            writer.write(f"GET /obj/{random.randrange(objects)} HTTP/1.1\r\nHost: bench.test\r\n\r\n".encode())
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 15)
            status = int(head.split(b" ", 2)[1])
            length = next((int(l.split(b":", 1)[1]) for l in head.split(b"\r\n")
                           if l.lower().startswith(b"content-length:")), None)
            if length is None:
                raise ConnectionError("no Content-Length")
            await asyncio.wait_for(reader.readexactly(length), 15)
            complete = True
            if b"connection: close" in head.lower():
                writer.close()
                connection = None
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError, ConnectionError):
            if connection is not None:
                connection[1].close()
            connection = None
        answers.append((start, time.time(), status, complete))


async def run_load(proxy_port, origin_port, seconds, connections, objects):
    await fetch_once(origin_port, "/flap/start")
    deadline = time.time() + seconds
    answers = []
    await asyncio.gather(*(client(proxy_port, deadline, objects, answers) for _ in range(connections)))
    phases = json.loads(await fetch_once(origin_port, "/flap/report"))
    healthy = [(p["start"], p["end"]) for p in phases if p["phase"] == "healthy"]
    in_healthy = [a for a in answers if any(s <= a[0] and a[1] <= e for s, e in healthy)]
    whole = sum(1 for a in in_healthy if a[2] == 200 and a[3])
    outage = {}
    for p in phases:
        if p["phase"] != "healthy":
            outage[p["phase"]] = outage.get(p["phase"], 0) + p["requests"]
    share = 100.0 * whole / len(in_healthy) if in_healthy else 0.0
    print(f"answers {len(answers)}")
    print(f"healthy_answers {len(in_healthy)}")
    print(f"healthy_complete_200_percent {share:.1f}")
    print(f"outage_origin_requests {sum(outage.values())}")
    for phase in OUTAGES:
        print(f"outage_origin_requests_{phase} {outage.get(phase, 0)}")


def main():
    mode = sys.argv[1]
    if mode == "origin":
        asyncio.run(run_origin(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])))
    elif mode == "load":
        asyncio.run(run_load(*(int(a) for a in sys.argv[2:7])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
