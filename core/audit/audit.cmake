# audit sources are added to waybill-core here
