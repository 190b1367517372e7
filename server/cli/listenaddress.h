// "HOST:PORT" as --listen, WAYBILL_LISTEN and the config file give it.
#pragma once

#include <QHostAddress>
#include <QString>

#include <optional>

namespace waybill::cli {

struct ListenAddress
{
    QHostAddress address;
    quint16 port = 0; // 0: any free port
};

// Accepts an IPv4 address, a bracketed IPv6 address ("[::1]:8080"), "localhost" or "*" (every
// interface), then ':' and a port from 0 to 65535. Host names are refused: what a name resolves
// to can change, and a server should bind where its admin said.
std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error);

} // namespace waybill::cli
