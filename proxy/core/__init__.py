"""What every part of the server uses: errors, settings, the HTTP exchange, SSE, request keys."""
