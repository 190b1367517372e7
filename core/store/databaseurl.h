// Where the events live: "sqlite:PATH" or "postgresql://user[:password]@host[:port]/dbname".
#pragma once

#include <QString>
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

    static std::optional<DatabaseUrl> parse(const QString &text, QString *error);
    static DatabaseUrl sqlite(const QString &path);
    // Without the password, for logs and messages.
    QString toDisplayString() const;
};

} // namespace waybill
