"""A request runs with room on the Python stack (percontohan.stack, CPython gh-142183): a loop of calls
at the depth where this interpreter maps and unmaps a stack chunk for every call costs no page fault
through `with_room`; and the WSGI application gunicorn serves answers through it."""

import resource

import pytest
from django.test import RequestFactory

from percontohan.stack import with_room

CALLS = 5_000


def page_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def nested(depth, function):
    return function() if depth == 0 else nested(depth - 1, function)


def calls():
    """A row loop as a list writes one: a short call for each cell."""
    for _ in range(CALLS):
        cell()


def cell():
    return None


def faults_of(run):
    before = page_faults()
    run()
    return page_faults() - before


def test_calls_at_any_depth_fault_no_page_through_it():
    # Depths up to 300 frames cover every chunk boundary a request's loops could meet.
    worst_plain = max(faults_of(lambda depth=depth: nested(depth, calls)) for depth in range(0, 300, 3))
    worst_with_room = max(faults_of(lambda depth=depth: with_room(nested, depth, calls)) for depth in range(0, 300, 3))

    # With room: at most the chunk's own pages (it is mapped once per call of with_room), never one per call.
    assert worst_with_room < 100
    # This interpreter (3.13.0, without gh-145789) faults on every call at a chunk boundary; one with the
    # fix faults on none, with or without room.
    assert worst_plain < 100 or worst_plain >= CALLS


def test_it_passes_arguments_results_and_errors_through():
    assert with_room(divmod, 17, 5) == (3, 2)
    assert with_room(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(ZeroDivisionError):
        with_room(divmod, 1, 0)


def test_the_wsgi_application_serves_a_page_through_it(db):
    from percontohan.wsgi import application

    environ = RequestFactory().get("/akun/masuk/", secure=True).environ
    answered = []
    body = application(environ, lambda status, headers, exc_info=None: answered.append(status))
    try:
        assert answered == ["200 OK"]
        assert "Masuk" in b"".join(body).decode()
    finally:
        body.close()
