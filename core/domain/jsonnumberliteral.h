// Finds the text of a number in a JSON document by its path, so that a value can be judged by
// the digits that were sent rather than by the double a JSON parser makes of them.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonArray>

#include <optional>

namespace waybill {

// The literal of the number at `path` (object keys as strings, array indexes as numbers, as in
// ValidationError::path), byte for byte as it stands in `json`, e.g. "0.010000001" or "1e9".
// Nothing when the document is not one QJsonDocument::fromJson() accepts, when nothing is at
// the path, or when the value there is not a number. It reads the document as Qt 6.4's parser
// does (the last of duplicate keys wins, escapes in keys decoded alike, Qt's number boundaries),
// so it always names the value that QJsonDocument shows at that path.
std::optional<QByteArray> jsonNumberLiteral(QByteArrayView json, const QJsonArray &path);

} // namespace waybill
