// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title WrappedOpen (WOPEN)
/// @notice OPEN is the chain's native gas token, and a native balance cannot carry vote
/// checkpoints. Wrapping it 1:1 into this ERC20Votes token gives governance a manipulation-safe
/// weight: votes are read at the proposal's snapshot block, so OPEN wrapped after a proposal
/// starts cannot sway it. Unwrapping gives the native OPEN back at any time.
contract WrappedOpen is ERC20, ERC20Permit, ERC20Votes {
    error ZeroAmount();
    error InsufficientWrapped(address account, uint256 balance, uint256 needed);
    error NativeTransferFailed(address to, uint256 amount);

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    constructor() ERC20("Wrapped OPEN", "WOPEN") ERC20Permit("Wrapped OPEN") {}

    /// @notice Wraps the native OPEN sent. The first deposit also delegates the account's votes to
    /// itself: ERC20Votes counts no weight until an account delegates, and wrapping in order to
    /// vote is the common case.
    function deposit() public payable {
        if (msg.value == 0) revert ZeroAmount();
        _mint(msg.sender, msg.value);
        if (delegates(msg.sender) == address(0)) _delegate(msg.sender, msg.sender);
        emit Deposited(msg.sender, msg.value);
    }

    receive() external payable {
        deposit();
    }

    /// @notice Burns `amount` WOPEN and sends the same amount of native OPEN back.
    function withdraw(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 balance = balanceOf(msg.sender);
        if (balance < amount) revert InsufficientWrapped(msg.sender, balance, amount);
        _burn(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert NativeTransferFailed(msg.sender, amount);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
