# The audit part of waybill-core: the auditors' CSV export and the hash-chain verifier.
target_sources(waybill-core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/csvwriter.h ${CMAKE_CURRENT_LIST_DIR}/csvwriter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/csvexport.h ${CMAKE_CURRENT_LIST_DIR}/csvexport.cpp
  ${CMAKE_CURRENT_LIST_DIR}/chainverifier.h ${CMAKE_CURRENT_LIST_DIR}/chainverifier.cpp
)
