#include "textfieldwidth.h"

#include <QLineEdit>

namespace waybill::app {

void keepTextWhole(QLineEdit *edit, const QString &sample)
{
    const QFontMetrics metrics = edit->fontMetrics();
    const int text = qMax(
        metrics.horizontalAdvance(edit->placeholderText()), metrics.horizontalAdvance(sample));
    // The frame and margins; the clear button is about as wide as the edit is high.
    const int clearButton = edit->isClearButtonEnabled() ? edit->sizeHint().height() : 0;
    edit->setMinimumWidth(text + clearButton + 16);
}

} // namespace waybill::app
