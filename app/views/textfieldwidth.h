// The width a line edit needs to show its text whole.
#pragma once

#include <QString>

class QLineEdit;

namespace waybill::app {

// Makes the edit at least as wide as its hint and as the sample (a typical longest value), with
// room for its frame and, when it has one, its clear button.
void keepTextWhole(QLineEdit *edit, const QString &sample = {});

} // namespace waybill::app
