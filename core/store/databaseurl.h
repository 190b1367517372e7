// Where the events live: "sqlite:PATH" or
// "postgresql://user[:password]@host[:port]/dbname[?option=value&...]", the options being
// libpq's connection keywords (sslmode, sslrootcert, host=/run/postgresql for a Unix socket,
// ...), all of it percent-encoded where a character has a meaning in a URL (docs/operations.md).
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>

namespace waybill {

struct DatabaseUrl
{
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    QString path; // SQLite file
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;
    // libpq keywords and their values from the URL's query, in order (host and port among them
    // when given there: they win over the URL's authority).
    QList<QPair<QString, QString>> options;

    static std::optional<DatabaseUrl> parse(const QString &text, QString *error);
    static DatabaseUrl sqlite(const QString &path);
    // Without the password, for logs and messages.
    QString toDisplayString() const;
    // The options as QPSQL's connect options: key='value' pairs for libpq's conninfo, with the
    // server's own defaults (connect_timeout) where the URL gives none. host and port are not
    // among them (they are set on their own).
    QString postgresConnectOptions() const;
    // The libpq keywords a URL's query may hold.
    static const QStringList &postgresOptionNames();
};

} // namespace waybill
