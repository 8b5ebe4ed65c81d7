// JSON scanner test exports (see assembly/json/).
