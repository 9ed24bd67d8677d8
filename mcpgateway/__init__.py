"""The MCP gateway: federated gateways and virtual servers of tools, resources and prompts."""
