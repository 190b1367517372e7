// Compact JSON text written straight from values, for the hot paths that would otherwise build a
// QJsonObject only to serialize it (a read model's body on every processed command), and from
// JSON values without the detour of a QJsonDocument (an event's data on every processed command).
//
// The caller writes an object's keys in ascending order, so the text is byte for byte what
// QJsonDocument::toJson(QJsonDocument::Compact) gives for the same object.
#pragma once

#include <QByteArray>
#include <QString>

class QJsonArray;
class QJsonObject;
class QJsonValue;

namespace waybill {

class JsonText final
{
public:
    JsonText() { m_text.reserve(512); }

    JsonText &beginObject();
    JsonText &endObject();
    // The key of the next value; ASCII with nothing to escape (the contract's names).
    JsonText &key(const char *name);
    JsonText &beginArray();
    JsonText &endArray();
    // Before each value of an array.
    JsonText &item();

    JsonText &value(const QString &text);
    JsonText &value(double number); // as Qt writes a JSON double; null if not finite
    JsonText &value(int number) { return value(static_cast<double>(number)); }
    JsonText &value(bool flag);
    // Any JSON value, written as Qt writes it: an object's keys in its (ascending) order.
    JsonText &value(const QJsonValue &value);
    JsonText &value(const QJsonObject &object);
    JsonText &value(const QJsonArray &array);

    const QByteArray &utf8() const { return m_text; }
    QString toString() const { return QString::fromUtf8(m_text); }

private:
    void separate();

    QByteArray m_text;
    bool m_first = true; // no value yet in the innermost object
};

} // namespace waybill
