#include "apiresult.h"

#include "presentation/refusaltext.h"

namespace waybill::app {

QVector<FieldError> ApiResult::fieldErrors() const
{
    QVector<FieldError> errors;
    const QJsonArray array = json.toObject().value(QLatin1String("errors")).toArray();
    for (const QJsonValue &value : array) {
        const QJsonObject entry = value.toObject();
        FieldError error;
        for (const QJsonValue &step : entry.value(QLatin1String("path")).toArray())
            error.path.append(step.isDouble() ? QString::number(step.toInt()) : step.toString());
        error.message = entry.value(QLatin1String("message")).toString();
        errors.append(error);
    }
    return errors;
}

QString ApiResult::serverMessage() const
{
    return RefusalText::translated(json.toObject().value(QLatin1String("message")).toString());
}

std::optional<int> ApiResult::currentVersion() const
{
    const QJsonValue value = json.toObject().value(QLatin1String("currentVersion"));
    if (httpStatus != 412 || !value.isDouble())
        return std::nullopt;
    return value.toInt();
}

} // namespace waybill::app
