// Finance's form for an account's record: open it (name, billing address, payment terms, credit
// limit) or update it, with the exposure shown against the limit as it is typed. An update sends
// only what changed, with the version shown (If-Match).
#pragma once

#include "commandform.h"
#include "models/recordrows.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QSpinBox;

namespace waybill::app {

class AddressForm;

class AccountEditor final : public CommandForm
{
    Q_OBJECT
public:
    // existing: the account as shown in the list (null for a new id). An account never opened
    // (known only from shipments and payments) is opened; an open one is updated.
    // A new id is opened against "no events yet" (If-Match "0").
    AccountEditor(Session *session, const AccountRow *existing, QWidget *parent = nullptr);

    bool isOpening() const { return m_opening; }
    QLineEdit *idField() const { return m_id; }
    QLineEdit *nameField() const { return m_name; }
    AddressForm *addressForm() const { return m_address; }
    QSpinBox *termsField() const { return m_terms; }
    QLineEdit *limitField() const { return m_limit; }
    QProgressBar *exposureBar() const { return m_exposureBar; }
    QString exposureText() const;
    // Checks the form and sends open or update (what the submit button does).
    void submit() override;

private:
    // The limit typed: nullopt inside when "no limit"; false when the text is not an amount.
    bool typedLimit(std::optional<Cents> *limit) const;
    void updateExposure();

    bool m_opening;
    std::optional<AccountRow> m_existing;
    QLineEdit *m_id;
    QLineEdit *m_name;
    AddressForm *m_address;
    QSpinBox *m_terms;
    QLineEdit *m_limit;
    QProgressBar *m_exposureBar;
    QLabel *m_exposure;
};

} // namespace waybill::app
