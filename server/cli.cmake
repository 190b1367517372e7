# waybill-server: see cli.cmake
