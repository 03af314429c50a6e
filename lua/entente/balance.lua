-- entente.balance: methods for the balance area, installed on World by init.lua.
return function(entente, World)
end
