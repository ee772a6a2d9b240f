"""Room on the Python stack for a whole request: a workaround for CPython issue gh-142183.

CPython 3.11 and later keep the frames of Python calls on a per-thread stack made of chunks of 16 KB. A
call that does not fit in the current chunk gets a new one (mmap), and returning from it frees that chunk
again (munmap). A loop that calls a function right at a chunk's end — a list writing each cell of its
rows, say — maps and unmaps memory on every call, each time with a page fault: on this interpreter
(3.13.0) a call there costs about 7 µs instead of 0.07 µs. Whether a page hits that boundary is an
accident of how deep its loops run, and the server's own frames move it: measured under gunicorn, the
village list with 100 rows took 3,800 page faults and 25 ms of system time per request, the home page 820
faults. CPython fixed it upstream (keeping one spare chunk, gh-145789, backported to 3.13 in gh-146123).

`with_room(function, *args, **kwargs)` calls `function` from a frame that holds a chunk to itself: its
local slots fill most of a 128 KB chunk, and the rest — about 60 KB, several hundred frames' worth —
is where the call's frames go, with no boundary to cross in any request the portal serves. It costs one
mmap and about twenty page faults per call, so it wraps a whole request (percontohan/wsgi.py), not an
inner loop. On an interpreter with the fix it does no harm: the chunk is kept between requests.
"""

# Extra local slots (8 bytes each) of the calling frame: with its own, 66 KB, so CPython gives it a chunk
# of 128 KB and the called function the ~60 KB left after it.
ROOM_SLOTS = 8_300


def with_room(function, *args, **kwargs):
    """function(*args, **kwargs), called from a frame with the stack room of a whole request."""
    return function(*args, **kwargs)


_code = with_room.__code__
with_room.__code__ = _code.replace(
    co_varnames=_code.co_varnames + tuple(f"_room_{slot}" for slot in range(ROOM_SLOTS)),
    co_nlocals=_code.co_nlocals + ROOM_SLOTS,
)
del _code
