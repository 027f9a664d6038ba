"""Count the SQL statements of each request (bench settings only)."""

from contextlib import ExitStack

from django.db import connections

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Outermost middleware: every statement of the request, including session and auth.

    A database ``execute_wrapper`` costs one Python call per statement (about a microsecond),
    so the count comes from the very request that is timed, in the production process.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
