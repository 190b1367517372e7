// The server's TLS certificate and key, read from PEM files and checked to belong together: at
// start (a mismatch is a configuration error), when listening and when SIGHUP reloads them.
#pragma once

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace waybill {

// The certificate chain (the server's own first) and its unencrypted private key (RSA, EC or
// DSA) as a server configuration; nothing, with one line in error naming the file at fault,
// when a file cannot be read, holds no PEM certificate or key, or the key is not the
// certificate's.
std::optional<QSslConfiguration> loadTlsConfiguration(
    const QString &certificateFile, const QString &keyFile, QString *error);

} // namespace waybill
