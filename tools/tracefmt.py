"""Reading a trace dump (`trace dump FILE` in the system; the layout is
kernel/include/uapi/trace.h) and turning its records into a timeline:
threads, the time each ran, IPC calls matched with their replies, and
the marks (interrupts, faults, deaths, restarts). tools/trace2json and
tools/trace2svg share it; tests/host/test_trace.py checks it."""
import struct

MAGIC = 0x31435254
VERSION = 1
HDR = struct.Struct("<IIIIQIIQQ")       # magic version ncpus rec_size tsc_hz nproc nthread nrec lost
PROC = struct.Struct("<II24s")          # pid ppid name
THREAD = struct.Struct("<IIII16s")      # tid pid ppid pad name
REC = struct.Struct("<QBBHIII16sQ")     # tsc type cpu flags op a_tid a_pid (union) arg
UNION = struct.Struct("<IIII")          # b_tid b_pid len pad

TYPES = ["none", "call", "recv", "reply", "return", "switch", "irq", "notify", "fault",
         "start", "exit", "user"]
(TR_NONE, TR_CALL, TR_RECV, TR_REPLY, TR_RETURN, TR_SWITCH, TR_IRQ, TR_NOTIFY, TR_FAULT,
 TR_START, TR_EXIT, TR_USER) = range(12)
TRU_RESTART, TRU_MARK, TRU_RESTARTED = 1, 2, 3
PROC_EXITED, PROC_FAULTED, PROC_KILLED = 1, 2, 3
EXCEPTIONS = {0: "divide error", 6: "invalid opcode", 13: "general protection", 14: "page fault"}


class FormatError(Exception):
    pass


def cstr(b):
    return b.split(b"\0", 1)[0].decode("utf-8", "replace")


def pack_header(ncpus, tsc_hz, nproc, nthread, nrec, lost=0):
    return HDR.pack(MAGIC, VERSION, ncpus, REC.size, tsc_hz, nproc, nthread, nrec, lost)


def pack_record(tsc, type_, cpu=0, op=0, a_tid=0, a_pid=0, b_tid=0, b_pid=0, length=0, arg=0,
                name=None):
    """One record as the kernel writes it (for tests and fixtures)."""
    u = name.encode()[:16].ljust(16, b"\0") if name is not None else \
        UNION.pack(b_tid, b_pid, length, 0)
    return REC.pack(tsc, type_, cpu, 0, op, a_tid, a_pid, u, arg)


def parse(data):
    """A dump's bytes -> dict: header fields, procs {pid: (ppid, name)},
    threads {tid: pid}, records (dicts sorted by tsc). Raises FormatError."""
    if len(data) < HDR.size:
        raise FormatError("shorter than the header")
    magic, version, ncpus, rec_size, tsc_hz, nproc, nthread, nrec, lost = HDR.unpack_from(data)
    if magic != MAGIC:
        raise FormatError("not a trace dump (magic %#x)" % magic)
    if version != VERSION or rec_size != REC.size:
        raise FormatError("version %d with %d-byte records: this tool reads version %d"
                          % (version, rec_size, VERSION))
    need = HDR.size + nproc * PROC.size + nthread * THREAD.size + nrec * REC.size
    if len(data) < need:
        raise FormatError("truncated: %d bytes, the header promises %d" % (len(data), need))
    off = HDR.size
    procs, threads = {}, {}
    for _ in range(nproc):
        pid, ppid, name = PROC.unpack_from(data, off)
        procs[pid] = (ppid, cstr(name))
        off += PROC.size
    for _ in range(nthread):
        tid, pid, ppid, _pad, name = THREAD.unpack_from(data, off)
        threads[tid] = pid
        procs.setdefault(pid, (ppid, cstr(name)))
        off += THREAD.size
    recs = []
    for _ in range(nrec):
        recs.append(record(REC.unpack_from(data, off)))
        off += REC.size
    recs.sort(key=lambda r: (r["tsc"], r["cpu"]))
    return {"ncpus": ncpus, "tsc_hz": tsc_hz, "lost": lost, "procs": procs, "threads": threads,
            "records": recs}


def record(fields):
    tsc, type_, cpu, _flags, op, a_tid, a_pid, u, arg = fields
    r = {"tsc": tsc, "type": type_, "cpu": cpu, "op": op, "a_tid": a_tid, "a_pid": a_pid,
         "arg": arg}
    if type_ in (TR_START, TR_EXIT, TR_USER):
        r["name"] = cstr(u)
    else:
        r["b_tid"], r["b_pid"], r["len"], _ = UNION.unpack(u)
    if type_ >= len(TYPES):
        raise FormatError("record of unknown type %d" % type_)
    return r


class Timeline:
    """What the converters draw, in microseconds from the first record."""

    def __init__(self, dump):
        self.dump = dump
        recs = dump["records"]
        self.hz = dump["tsc_hz"] or 1000000000       # unknown: one tick a nanosecond
        self.t0 = recs[0]["tsc"] if recs else 0
        self.t_end = self.us(recs[-1]["tsc"]) if recs else 0.0
        self.names = {pid: name for pid, (_, name) in dump["procs"].items()}
        for r in recs:                                # processes gone before the dump
            if r["type"] in (TR_START, TR_EXIT) and r["a_pid"] not in self.names:
                self.names[r["a_pid"]] = r["name"]
        self.thread_pid = dict(dump["threads"])
        self.runs, self.calls, self.serves, self.flows, self.marks = [], [], [], [], []
        self._build(recs)

    def us(self, tsc):
        return (tsc - self.t0) * 1e6 / self.hz

    def name(self, pid):
        return self.names.get(pid, "pid %d" % pid) if pid else "kernel"

    def _thread(self, tid, pid):
        if tid:
            self.thread_pid.setdefault(tid, pid)

    def _build(self, recs):
        running, open_calls, open_serves = {}, {}, {}
        for r in recs:
            t, ty = self.us(r["tsc"]), r["type"]
            self._thread(r["a_tid"], r["a_pid"])
            if "b_tid" in r:
                self._thread(r["b_tid"], r["b_pid"])
            if ty == TR_SWITCH:
                self._switch(running, r, t)
            elif ty == TR_CALL:
                open_calls[(r["a_tid"], r["b_tid"])] = (t, r)
                self.flows.append(("call", r["a_tid"], r["a_pid"], r["b_tid"], r["b_pid"], t, r["op"]))
            elif ty == TR_RECV:
                open_serves[(r["a_tid"], r["b_tid"])] = (t, r)
                self._flow_end(r, t)
            elif ty == TR_REPLY:
                self._serve_done(open_serves.pop((r["a_tid"], r["b_tid"]), None), r, t)
                self.flows.append(("reply", r["a_tid"], r["a_pid"], r["b_tid"], r["b_pid"], t, r["op"]))
            elif ty == TR_RETURN:
                self._call_done(open_calls.pop((r["a_tid"], r["b_tid"]), None), r, t)
                self._flow_end(r, t)
            else:
                if ty == TR_EXIT:
                    self._cut(open_calls, open_serves, r["a_pid"], t)
                self._mark(r, t)
        self._cut(open_calls, open_serves, None, self.t_end)
        for cpu, (tid, pid, start) in running.items():
            if tid and start < self.t_end:
                self.runs.append((tid, pid, start, self.t_end, cpu))

    def _cut(self, open_calls, open_serves, pid, t):
        """Ends at t the calls to or from process pid and its requests in
        progress (it died); pid None: all that are still open."""
        for key, (start, req) in list(open_serves.items()):
            if pid is None or req["a_pid"] == pid:
                del open_serves[key]
                self.serves.append((req["a_tid"], req["a_pid"], start, t, req["op"], req["b_pid"],
                                    req["len"]))
        for key, (start, req) in list(open_calls.items()):
            if pid is None or pid in (req["a_pid"], req["b_pid"]):
                del open_calls[key]
                self.calls.append((req["a_tid"], req["a_pid"], start, t, req["op"], req["b_pid"]))

    def _switch(self, running, r, t):
        prev = running.get(r["cpu"])
        start = prev[2] if prev else 0.0
        if r["a_tid"]:
            self.runs.append((r["a_tid"], r["a_pid"], start, t, r["cpu"]))
        running[r["cpu"]] = (r["b_tid"], r["b_pid"], t)

    def _flow_end(self, r, t):
        """Completes the last open flow to this thread from its partner."""
        for i in range(len(self.flows) - 1, -1, -1):
            f = self.flows[i]
            if len(f) == 7 and f[3] == r["a_tid"] and f[1] == r["b_tid"]:
                self.flows[i] = f + (t,)
                return

    def _serve_done(self, opened, r, t):
        start, req = opened if opened else (0.0, None)
        op = req["op"] if req else 0
        self.serves.append((r["a_tid"], r["a_pid"], start, t, op, r["b_pid"],
                            req["len"] if req else 0))

    def _call_done(self, opened, r, t):
        start, req = opened if opened else (0.0, None)
        self.calls.append((r["a_tid"], r["a_pid"], start, t, req["op"] if req else 0, r["b_pid"]))

    def _mark(self, r, t):
        ty = r["type"]
        if ty == TR_IRQ:
            self.marks.append(("irq", r["a_tid"], r["a_pid"], t, "IRQ %d" % r["op"]))
        elif ty == TR_NOTIFY:
            if r["b_tid"]:
                self.marks.append(("notify", r["b_tid"], r["b_pid"], t, "notified %#x" % r["arg"]))
        elif ty == TR_FAULT:
            what = EXCEPTIONS.get(r["op"], "exception %d" % r["op"])
            self.marks.append(("fault", r["a_tid"], r["a_pid"], t, "%s at %#x" % (what, r["arg"])))
        elif ty == TR_START:
            self.marks.append(("start", 0, r["a_pid"], t, "%s started (pid %d)" % (r["name"], r["a_pid"])))
        elif ty == TR_EXIT:
            self.marks.append(self._exit_mark(r, t))
        elif ty == TR_USER:
            self.marks.append(self._user_mark(r, t))

    def _exit_mark(self, r, t):
        pid, name = r["a_pid"], r["name"]
        if r["op"] == PROC_FAULTED:
            return ("death", 0, pid, t, "%s died: %s" % (name, EXCEPTIONS.get(
                r["arg"], "exception %d" % r["arg"])))
        if r["op"] == PROC_KILLED:
            return ("death", 0, pid, t, "%s was killed" % name)
        return ("exit", 0, pid, t, "%s exited (%d)" % (name, r["arg"] & 0xffffffff))

    def _user_mark(self, r, t):
        if r["op"] == TRU_RESTART:
            return ("restart", r["a_tid"], r["a_pid"], t, "restart %s (#%d)" % (r["name"], r["arg"]))
        if r["op"] == TRU_RESTARTED:
            return ("restarted", r["a_tid"], r["a_pid"], t, "%s started again (pid %d)"
                    % (r["name"], r["arg"]))
        return ("user", r["a_tid"], r["a_pid"], t, "event %d %s %d" % (r["op"], r["name"], r["arg"]))

    def threads(self):
        """(pid, tid) of every thread seen, by pid then tid."""
        return sorted((pid, tid) for tid, pid in self.thread_pid.items() if tid)
