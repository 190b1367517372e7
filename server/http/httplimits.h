// The limits one HTTP connection lives within; the server's options fill them in. Their
// defaults, and why, are in docs/choices.md.
#pragma once

#include <QtGlobal>

namespace waybill::http {

struct HttpLimits
{
    qint64 maxBodyBytes = 1024 * 1024; // larger bodies: 413 before they are read
    int idleTimeoutMs = 30000; // silence allowed between requests, or from a stuck reader
    int requestTimeoutMs = 30000; // a whole request, from its first byte (blank lines included)
    int maxConnections = 1024;
    int maxConnectionsPerAddress = 128; // from one client address (an IPv6 /64); 0: no cap
    int maxRequestLineBytes = 8 * 1024;
    int maxHeaderBytes = 64 * 1024; // the request line and headers together
    int maxHeaderCount = 100; // QHttpServer 6.4 drops every header of a request with more
    int maxLeadingBlankBytes = 16; // empty lines before a request line (8 CRLF)
    int maxPipelinedRequests = 32; // read but unanswered on one connection: reading stops there
    qint64 maxOutputBytes = 1024 * 1024; // answered but not taken by the client: reading stops
    int lingerMs = 1000; // after an error answer, input is drained this long, then closed
};

} // namespace waybill::http
