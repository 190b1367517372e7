// The answer to one request to Waybill's HTTP API, and what a clerk should read when it failed.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace waybill::app {

// One entry of a 400 answer: where in the body, and what is wrong there.
struct FieldError
{
    QStringList path; // e.g. {"shipFrom", "zip"}; empty for the body as a whole
    QString message;
};

struct ApiResult
{
    int httpStatus = 0; // 0 when no answer came (network failure or cancelled)
    bool cancelled = false;
    QByteArray body;
    QJsonValue json; // the body, when it was JSON
    qint64 totalCount = -1; // X-Total-Count, when the server sent it
    QString errorText; // in words for people; empty when the request succeeded

    bool ok() const { return httpStatus >= 200 && httpStatus < 300; }
    QJsonObject object() const { return json.toObject(); }
    QJsonArray array() const { return json.toArray(); }
    // The "message" the server put in an error answer, in the user's language when it is one of
    // the refusals the app knows.
    QString serverMessage() const;
    QVector<FieldError> fieldErrors() const;
    // A 412's "currentVersion": the version the stream had moved on to.
    std::optional<int> currentVersion() const;
};

} // namespace waybill::app
